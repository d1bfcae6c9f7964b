"""Screenshots and files on the timeline: paste and drop, thumbnails, the full-size view."""
