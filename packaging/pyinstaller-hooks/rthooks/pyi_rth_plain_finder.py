# Run-time hook (rthooks.dat in this folder, under this app's package): with the spec's noarchive, PyInstaller's
# module archive is empty and every module is a .pyc file in _internal, which Python's own path finder loads.
# PyInstaller still puts its finder in front of Python's for every folder on the import path; with an empty
# archive all it does is look the module up there, find nothing and pass the question on. This hook takes it
# out when the archive is empty (and leaves it when there is an archive), so each import goes to Python's
# finder directly.


def _pyi_rthook():
    import sys

    import pyimod02_importers

    if pyimod02_importers.pyz_archive.toc:
        return
    hook = pyimod02_importers.PyiFrozenFinder.path_hook
    if hook in sys.path_hooks:
        sys.path_hooks.remove(hook)
        for path, finder in list(sys.path_importer_cache.items()):
            if isinstance(finder, pyimod02_importers.PyiFrozenFinder):
                del sys.path_importer_cache[path]


_pyi_rthook()
del _pyi_rthook
