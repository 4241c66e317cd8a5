"""Facts shared by every district: person, organisation, places, retirement, reference values."""
