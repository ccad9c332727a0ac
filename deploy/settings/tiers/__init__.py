"""Per-tier overlays: what a node does follows from its tier."""

from importlib import import_module


def apply_overlay(namespace: dict, tier: str) -> None:
    overlay = import_module(f"deploy.settings.tiers.{tier}")
    overlay.apply(namespace)
