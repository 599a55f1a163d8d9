"""The domain model: aggregates, value objects, records and events."""
