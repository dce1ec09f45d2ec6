"""Screens and widgets of the app."""
