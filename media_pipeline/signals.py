from django.dispatch import Signal

# Sent with ``instance`` (the MediaRendition, reloaded) when a rendition has become READY.
# Renditions reach READY through a conditional UPDATE (no post_save), so listeners such as
# feed caches and the podcast chapter writer hook in here.
rendition_ready = Signal()
