"""The pydantic models every stage shares, and their exported JSON Schema."""
