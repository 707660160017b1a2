"""Citizen pages: evaluate (three channels), read the follow-up reply, rate the rectification."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..catalog_access import catalog
from ..extensions import rate_limit
from . import bp
from .actions import EvaluationError, create_evaluation, find_evaluation, rate_rectification
from .forms import EvaluationForm, EvaluationLookupForm, RatingForm
from .rules import DIMENSIONS, LEVELS, Channel


@bp.get("/")
def index():
    return render_template("evaluations/index.html", channels=list(Channel))


@bp.route("/new", methods=["GET", "POST"])
@rate_limit("evaluation", post_only=True)
def new():
    channel = request.values.get("channel", "")
    if channel not in {c.value for c in Channel}:
        return redirect(url_for("evaluations.index"))
    form = EvaluationForm(
        data={
            "channel": channel,
            "reference": request.args.get("reference", ""),
            "item": request.args.get("item", ""),
            "window": request.args.get("window", ""),
        }
    )
    problem = None
    if form.validate_on_submit():
        try:
            evaluation = create_evaluation(form)
        except EvaluationError as error:
            if error.field and error.field in form:
                form[error.field].errors = [error.message]
            else:
                problem = error.message
        else:
            flash("感谢您的评价！", "success")
            return redirect(url_for("evaluations.detail", reference=evaluation.reference), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "evaluations/new.html",
        form=form,
        channel=Channel(channel),
        problem=problem,
        windows=list(catalog().windows.values()),
        items=catalog().published_items(),
        items_by_id=catalog().items,
        dimensions=DIMENSIONS,
    ), status


@bp.get("/<reference>")
@rate_limit("status_page")
def detail(reference: str):
    evaluation = find_evaluation(reference)
    if evaluation is None:
        abort(404)
    return render_template(
        "evaluations/detail.html",
        evaluation=evaluation,
        levels=LEVELS,
        rating_form=RatingForm(),
    )


@bp.post("/<reference>/rating")
@rate_limit("lookup", post_only=True)
def rate(reference: str):
    evaluation = find_evaluation(reference)
    if evaluation is None or evaluation.follow_up is None:
        abort(404)
    form = RatingForm()
    if not form.validate_on_submit():
        return render_template(
            "evaluations/detail.html", evaluation=evaluation, levels=LEVELS, rating_form=form
        ), 422
    try:
        rate_rectification(evaluation.follow_up, int(form.rating.data), form.comment.data or None)
    except EvaluationError as error:
        flash(error.message, "error")
    else:
        flash("感谢您对整改结果的评价！", "success")
    return redirect(url_for("evaluations.detail", reference=reference), 303)


@bp.route("/lookup", methods=["GET", "POST"])
@rate_limit("lookup", post_only=True)
def lookup():
    form = EvaluationLookupForm()
    not_found = False
    if form.validate_on_submit():
        if find_evaluation(form.reference.data) is not None:
            return redirect(url_for("evaluations.detail", reference=form.reference.data))
        not_found = True
    status = 422 if request.method == "POST" else 200
    return render_template("evaluations/lookup.html", form=form, not_found=not_found), status
