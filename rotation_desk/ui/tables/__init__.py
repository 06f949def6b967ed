"""The shared table: a DataFrame model and view (sortable, copy, CSV), filled when first shown."""
