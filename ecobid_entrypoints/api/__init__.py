"""The REST API: API Gateway proxy events in, proxy responses out."""
