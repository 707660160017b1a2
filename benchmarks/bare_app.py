"""The baseline for booking_throughput.py and queue.py: bare Flask JSON endpoints, nothing else."""

from __future__ import annotations

from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/api/bookings")
    def book():
        body = request.get_json()
        return jsonify(reference="BARE2345", item=body.get("item"), start=body.get("slot")), 201

    @app.post("/api/queue/tickets")
    def ticket():
        body = request.get_json()
        return jsonify(number="A001", window=body.get("window"), people_ahead=0), 201

    @app.get("/api/openapi.json")
    def ready():
        return jsonify(ok=True)

    return app
