"""Booking wizard (participants → activities → planning → summary), basket and orders."""

from django.urls import path

from .stub import not_built

urlpatterns = [
    path("", not_built, name="booking_start"),
    path("activities/", not_built, name="booking_activities"),
    path("planning/", not_built, name="booking_planning"),
    path("basket/", not_built, name="basket"),
    path("basket/add/", not_built, name="basket_add"),
    path("basket/periodic/", not_built, name="basket_periodic"),
    path("basket/<int:item_id>/remove/", not_built, name="basket_remove"),
    path("basket/clear/", not_built, name="basket_clear"),
    path("basket/submit/", not_built, name="basket_submit"),
    path("orders/", not_built, name="orders"),
    path("orders/<int:order_id>/", not_built, name="order_detail"),
]
