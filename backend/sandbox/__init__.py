"""Stand-ins for the outside world (PhotoShelter, Zendesk) and the workbench; demo mode only."""
