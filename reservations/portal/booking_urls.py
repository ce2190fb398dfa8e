"""Booking wizard (participants → activities → planning → summary), basket and orders."""

from django.urls import path

from . import booking_views as views

urlpatterns = [
    path("", views.booking_start, name="booking_start"),
    path("activities/", views.booking_activities, name="booking_activities"),
    path("planning/", views.booking_planning, name="booking_planning"),
    path("basket/", views.basket, name="basket"),
    path("basket/add/", views.basket_add, name="basket_add"),
    path("basket/periodic/", views.basket_periodic, name="basket_periodic"),
    path("basket/<id:item_id>/remove/", views.basket_item_remove, name="basket_remove"),
    path("basket/clear/", views.basket_empty, name="basket_clear"),
    path("basket/submit/", views.basket_send, name="basket_submit"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<id:order_id>/", views.order_detail, name="order_detail"),
]
