# dmgbuild settings for Rotation Desk: the .app next to an Applications link.
#
#   pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/rotation-desk.spec
#   dmgbuild -s packaging/macos/dmg_settings.py -D app="dist/Rotation Desk.app" \
#       "Rotation Desk" dist/rotation-desk-<version>-macos-<arch>.dmg
#
# The .app comes from the same spec as the other platforms (its BUNDLE step runs
# when sys.platform == "darwin"). The icon file is resources/icons/rotation-desk.icns,
# written in pure Python by packaging/make_icons.py (no iconutil needed).
# dmgbuild executes this file with `defines` (the -D values) in scope.
import os.path

defines = globals().get("defines", {})
application = defines.get("app", "dist/Rotation Desk.app")
repo = defines.get("repo", ".")
appname = os.path.basename(application)

format = defines.get("format", "UDZO")  # zlib; "ULFO" (lzfse) is smaller but needs macOS 10.11+
filesystem = "HFS+"
size = None  # computed from the contents
files = [application]
symlinks = {"Applications": "/Applications"}
icon = os.path.join(repo, "resources", "icons", "rotation-desk.icns")  # the volume's icon

background = "builtin-arrow"
window_rect = ((200, 120), (640, 300))
default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
arrange_by = None
icon_size = 128
text_size = 13
icon_locations = {appname: (150, 130), "Applications": (490, 130)}
