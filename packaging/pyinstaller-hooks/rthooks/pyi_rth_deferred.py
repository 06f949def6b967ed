# Run-time hook (rthooks.dat in this folder) in place of PyInstaller's own hooks for inspect, pkgutil and
# multiprocessing. PyInstaller runs those three at every start, and each imports its module first: inspect
# (with ast and zipfile, to read base_library.zip's file list), pkgutil, and multiprocessing with its spawn
# module and subprocess. A command that needs none of them, `--version` for one, paid about a third of its
# start-up for them.
#
# This hook runs PyInstaller's own hook files, unchanged, but each at the moment its module is first imported:
# right after the module's code has run and before the import returns, so no code sees the module unpatched.
# The spec copies the hook file of each module that rthooks.dat gives to this hook, from the PyInstaller
# that builds the bundle, into sys._MEIPASS/_pyi_rthooks_deferred: pyi_rth_<module>.py.
# A module imported before this hook ran (by an earlier run-time hook) has its hook run here and now.
# tests/test_packaging_spec.py runs this file against stand-in hooks and checks both cases.


def _pyi_rthook():
    import builtins
    import os
    import sys

    folder = os.path.join(sys._MEIPASS, "_pyi_rthooks_deferred")
    hooks = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    pending = {f.removeprefix("pyi_rth_").removesuffix(".py"): f for f in hooks if f.startswith("pyi_rth_")}
    finder = None

    def run_hook(name):
        path = os.path.join(folder, pending.pop(name))
        with open(path, encoding="utf-8") as source:
            code = compile(source.read(), path, "exec")
        exec(code, {"__name__": "pyi_rth_deferred", "__file__": path, "__builtins__": builtins})
        if not pending and finder in sys.meta_path:
            sys.meta_path.remove(finder)

    class HookAfterExec:
        """The module's own loader, which runs the module's deferred hook once the module has run."""

        def __init__(self, loader, name):
            self.loader, self.name = loader, name

        def create_module(self, spec):
            return self.loader.create_module(spec)

        def exec_module(self, module):
            try:
                self.loader.exec_module(module)
            finally:  # the module keeps its own loader
                module.__loader__ = self.loader
                if getattr(module, "__spec__", None) is not None:
                    module.__spec__.loader = self.loader
            if self.name in pending:
                run_hook(self.name)

        def __getattr__(self, attribute):
            return getattr(self.loader, attribute)

    class DeferredHooks:
        """First on sys.meta_path until the last deferred hook has run; finds nothing itself."""

        def find_spec(self, name, path=None, target=None):
            if name not in pending:
                return None
            spec = None
            for other in sys.meta_path:
                find = getattr(other, "find_spec", None)
                if other is not self and find is not None:
                    spec = find(name, path, target)
                    if spec is not None:
                        break
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = HookAfterExec(spec.loader, name)
            return spec

    for name in [name for name in pending if name in sys.modules]:
        run_hook(name)
    if pending:
        finder = DeferredHooks()
        sys.meta_path.insert(0, finder)


_pyi_rthook()
del _pyi_rthook
