"""Starting the app and its frame: the main window, the tab host, the status bar, dialogs, refresh, headless rendering."""
