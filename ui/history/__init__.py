"""The History tab: the paged call table and a call in full."""
