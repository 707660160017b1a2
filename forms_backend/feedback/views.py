"""Citizen pages: leave a message, read the reply with the reference."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..catalog_access import catalog
from ..extensions import rate_limit
from ..schemas import validate_form
from . import bp
from .actions import create_feedback, find_feedback
from .forms import FeedbackForm, FeedbackLookupForm
from .schemas import FeedbackLookup, FeedbackRequest


@bp.route("/", methods=["GET", "POST"])
@rate_limit("feedback", post_only=True)
def new():
    form = FeedbackForm(
        data={
            "kind": request.args.get("kind", ""),
            "item": request.args.get("item", ""),
            "window": request.args.get("window", ""),
        }
    )
    message = validate_form(form, FeedbackRequest)
    if message is not None:
        feedback = create_feedback(message)
        flash("已收到您的留言，我们会尽快答复。", "success")
        return redirect(url_for("feedback.detail", reference=feedback.reference), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "feedback/new.html",
        form=form,
        windows=list(catalog().windows.values()),
        items=catalog().published_items(),
    ), status


@bp.get("/<reference>")
@rate_limit("status_page")
def detail(reference: str):
    feedback = find_feedback(reference)
    if feedback is None:
        abort(404)
    return render_template("feedback/detail.html", feedback=feedback, items=catalog().items)


@bp.route("/lookup", methods=["GET", "POST"])
@rate_limit("lookup", post_only=True)
def lookup():
    form = FeedbackLookupForm()
    not_found = False
    wanted = validate_form(form, FeedbackLookup)
    if wanted is not None:
        if find_feedback(wanted.reference) is not None:
            return redirect(url_for("feedback.detail", reference=wanted.reference))
        not_found = True
    status = 422 if request.method == "POST" else 200
    return render_template("feedback/lookup.html", form=form, not_found=not_found), status
