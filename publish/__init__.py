"""Stage 3: a normalised `schema.models.Plan` -> the files of an output folder, and their check."""
