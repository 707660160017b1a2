"""Citizen pages: evaluate (three channels), read the follow-up reply, rate the rectification."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..catalog_access import catalog
from ..errors import ActionError
from ..extensions import rate_limit
from ..schemas import validate_form
from . import bp
from .actions import create_evaluation, find_evaluation, rate_rectification
from .forms import (
    DIMENSION_FIELDS,
    EvaluationForm,
    EvaluationLookupForm,
    RatingForm,
    evaluation_input,
)
from .rules import DIMENSIONS, LEVELS, Channel
from .schemas import EvaluationLookup, EvaluationRequest, RatingRequest


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
    data = evaluation_input(request.form) if request.method == "POST" else None
    valid = validate_form(form, EvaluationRequest, data=data, names=DIMENSION_FIELDS)
    if valid is not None:
        try:
            evaluation = create_evaluation(valid)
        except ActionError as error:
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
    answer = validate_form(form, RatingRequest)
    if answer is None:
        return render_template(
            "evaluations/detail.html", evaluation=evaluation, levels=LEVELS, rating_form=form
        ), 422
    try:
        rate_rectification(evaluation.follow_up, answer.rating, answer.comment or None)
    except ActionError as error:
        flash(error.message, "error")
    else:
        flash("感谢您对整改结果的评价！", "success")
    return redirect(url_for("evaluations.detail", reference=reference), 303)


@bp.route("/lookup", methods=["GET", "POST"])
@rate_limit("lookup", post_only=True)
def lookup():
    form = EvaluationLookupForm()
    not_found = False
    wanted = validate_form(form, EvaluationLookup)
    if wanted is not None:
        if find_evaluation(wanted.reference) is not None:
            return redirect(url_for("evaluations.detail", reference=wanted.reference))
        not_found = True
    status = 422 if request.method == "POST" else 200
    return render_template("evaluations/lookup.html", form=form, not_found=not_found), status
