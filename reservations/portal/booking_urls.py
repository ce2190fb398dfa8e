"""Booking wizard (participants → activities → planning → summary), basket and orders."""

from django.urls import path

from . import basket_views, booking_views, order_views

urlpatterns = [
    path("", booking_views.booking_start, name="booking_start"),
    path("activities/", booking_views.booking_activities, name="booking_activities"),
    path("planning/", booking_views.booking_planning, name="booking_planning"),
    path("basket/", basket_views.basket, name="basket"),
    path("basket/add/", booking_views.basket_add, name="basket_add"),
    path("basket/periodic/", booking_views.basket_periodic, name="basket_periodic"),
    path("basket/<id:item_id>/remove/", basket_views.basket_item_remove, name="basket_remove"),
    path("basket/clear/", basket_views.basket_empty, name="basket_clear"),
    path("basket/submit/", basket_views.basket_send, name="basket_submit"),
    path("orders/", order_views.order_list, name="orders"),
    path("orders/<id:order_id>/", order_views.order_detail, name="order_detail"),
]
