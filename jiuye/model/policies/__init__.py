"""One package per policy document (key = folder name): catalogue, parameters, variables, tests."""
