"""Helpers the tests import: simulators, services and the app built the way the product builds them."""
