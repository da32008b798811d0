"""A workflow built in code, shaped like a ``kind: workflow`` definition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str
    category: str
    description: str = ""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...] | None
    to: str
    description: str = ""


@dataclass(frozen=True)
class Workflow:
    name: str
    description: str
    statuses: tuple[Status, ...]
    initial: str
    transitions: tuple[Transition, ...]


ORDER_FULFILLMENT = Workflow(
    name="Order Fulfillment",
    description="From paid order to delivered parcel.",
    statuses=(
        Status("Awaiting Payment", "todo", "Order placed, payment not captured"),
        Status("Picking", "in_progress", "Items are being picked"),
        Status("Shipped", "in_progress"),
        Status("Delivered", "done", 'Carrier said "delivered" <signed>'),
        Status("Cancelled", "done"),
    ),
    initial="Awaiting Payment",
    transitions=(
        Transition("Payment received", ("Awaiting Payment",), "Picking"),
        Transition("Ship", ("Picking",), "Shipped", "Label printed & parcel handed over"),
        Transition("Deliver", ("Shipped",), "Delivered"),
        Transition("Cancel", None, "Cancelled", "Customer or fraud check cancelled"),
    ),
)
