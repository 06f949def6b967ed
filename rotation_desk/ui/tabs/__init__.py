"""One module per tab; ``TAB_CLASSES`` is their order in the main window (Ctrl+1 … Ctrl+4)."""

from rotation_desk.ui.tabs.compare import CompareTab
from rotation_desk.ui.tabs.dca import DcaTab
from rotation_desk.ui.tabs.overview import OverviewTab
from rotation_desk.ui.tabs.sectors import SectorsTab

TAB_CLASSES = (OverviewTab, CompareTab, SectorsTab, DcaTab)

__all__ = ["TAB_CLASSES", "CompareTab", "DcaTab", "OverviewTab", "SectorsTab"]
