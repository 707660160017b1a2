"""Citizen pages: leave a message, read the reply with the reference."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..catalog_access import catalog
from ..extensions import rate_limit
from . import bp
from .actions import create_feedback, find_feedback
from .forms import FeedbackForm, FeedbackLookupForm


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
    if form.validate_on_submit():
        feedback = create_feedback(form)
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
    if form.validate_on_submit():
        if find_feedback(form.reference.data) is not None:
            return redirect(url_for("feedback.detail", reference=form.reference.data))
        not_found = True
    status = 422 if request.method == "POST" else 200
    return render_template("feedback/lookup.html", form=form, not_found=not_found), status
