"""Label Studio ML backend that transcribes boxes drawn on borehole pages."""
