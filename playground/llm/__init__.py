"""What a call is and how it is made: requests, events, usage, errors, parameters, endpoints, the model
catalog, the provider adapters and their worker process, and the runner."""
