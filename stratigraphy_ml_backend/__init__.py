"""Label Studio ML backend that pre-annotates borehole profile pages."""
