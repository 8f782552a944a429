"""The application layer: coaching operations with their checks, over the models."""
