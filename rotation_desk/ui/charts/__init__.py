"""The shared chart panel (axes, legend, crosshair, export), the correlation heat map and the export dialog."""
