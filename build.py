#!/usr/bin/env python3
"""banshi's one command line: ``python build.py <command>``.

Exit codes: 0 ok, 1 catalog invalid (or the command failed), 2 usage error.
The commands only parse arguments; the work is done in the packages they call.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CATALOG = Path(__file__).resolve().parent / "catalog_yaml"
DEFAULT_BUILD = Path(__file__).resolve().parent / "build"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误：{message}\n")


def _add_catalog(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        type=Path,
        default=DEFAULT_CATALOG,
        help="catalog directory (default: catalog_yaml/)",
    )


def _add_revisions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "base", metavar="BASE", help="git revision or date (2026-01-31) before, e.g. main"
    )
    parser.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        default=None,
        help="git revision or date after (default: the working tree)",
    )
    _add_catalog(parser)


def _add_build_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=DEFAULT_BUILD,
        help="generated sources, the engine's docs_dir is <build-dir>/docs (default: build/)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py", description="banshi: catalog checks, site build and tools.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser("check", help="validate the catalog and report every problem")
    _add_catalog(check)
    check.add_argument(
        "--write-schema",
        action="store_true",
        help="regenerate the JSON Schema files in the catalog",
    )

    synth = commands.add_parser(
        "synth", help="write a synthetic catalog of the real district's size"
    )
    synth.add_argument("--items", type=int, default=5654)
    synth.add_argument("--bundles", type=int, default=75)
    synth.add_argument("--out", type=Path, required=True)
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument(
        "--force",
        action="store_true",
        help="replace the catalog files in a non-empty --out directory that synth did not write",
    )

    diff = commands.add_parser(
        "diff", help="describe, in Chinese Markdown, how the catalog changed between revisions"
    )
    _add_revisions(diff)

    reform = commands.add_parser(
        "reform", help="the 四减 reform report: steps, materials, time limits, trips before → after"
    )
    _add_revisions(reform)
    reform.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )

    generate = commands.add_parser(
        "generate",
        help="write the generated pages and the theme's data into the build folder (incremental)",
    )
    _add_catalog(generate)
    _add_build_dir(generate)
    generate.add_argument(
        "--only", metavar="ITEM_OR_BUNDLE_ID", help="only the site around one entry"
    )

    build = commands.add_parser("build", help="build the citizen guide site and its search index")
    _add_catalog(build)
    _add_build_dir(build)
    build.add_argument(
        "--site-dir", type=Path, default=Path("site"), help="output (default: site/)"
    )
    build.add_argument("--strict", action="store_true", help="fail on any MkDocs warning")
    build.add_argument(
        "--processes", type=int, default=None, help="worker processes (default: one per core)"
    )

    serve = commands.add_parser(
        "serve", help="build, then serve the site and the forms backend at one local URL"
    )
    _add_catalog(serve)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--only", metavar="ITEM_OR_BUNDLE_ID", help="preview one entry quickly")

    fieldref = commands.add_parser(
        "fieldref", help="write the editor guide's field reference from the schema"
    )
    fieldref.add_argument(
        "--out", type=Path, default=None, help="output file (default: docs/editors/fields.md)"
    )
    fieldref.add_argument(
        "--check", action="store_true", help="only report whether the page is up to date"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "check":
        from catalog.report import run_check

        return run_check(args.catalog, write_schema=args.write_schema)
    if args.command == "synth":
        from catalog.synth import run_synth

        return run_synth(
            args.out, items=args.items, bundles=args.bundles, seed=args.seed, force=args.force
        )
    if args.command == "diff":
        from catalog.diff import run_diff

        return run_diff(args.base, args.head, args.catalog)
    if args.command == "reform":
        from catalog.reform import run_reform

        return run_reform(args.base, args.head, args.catalog, output=args.format)
    if args.command == "generate":
        from site_gen.builder import BuildOptions
        from site_gen.cli import run_generate

        return run_generate(
            BuildOptions(catalog=args.catalog, build_dir=args.build_dir, only=args.only)
        )
    if args.command == "build":
        from site_gen.builder import BuildOptions
        from site_gen.cli import run_build

        return run_build(
            BuildOptions(
                catalog=args.catalog,
                site_dir=args.site_dir,
                build_dir=args.build_dir,
                strict=args.strict,
                processes=args.processes,
            )
        )
    if args.command == "fieldref":
        from catalog.fieldref import run_fieldref

        return run_fieldref(args.out, check=args.check)
    if args.command == "serve":
        from site_gen.serve import run_serve

        return run_serve(args.catalog, port=args.port, only=args.only)
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
