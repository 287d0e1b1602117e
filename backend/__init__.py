"""PhotoShelter for Zendesk backend: the Flask app factory lives here (filled in by create_app)."""
