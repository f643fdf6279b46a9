#!/usr/bin/env python3
"""Reads a JUnit XML file with junitparser (an independent parser) and prints its counts.

Usage: junit_summary.py REPORT.xml  →  "tests=N failures=N errors=N skipped=N"
Exit 1 if the file cannot be parsed or the per-suite counts disagree with the cases.
"""
import sys

from junitparser import Error, Failure, JUnitXml, Skipped


def main(path: str) -> int:
    xml = JUnitXml.fromfile(path)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in xml:
        counted = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in suite:
            counted["tests"] += 1
            for result in case.result:
                if isinstance(result, Failure):
                    counted["failures"] += 1
                elif isinstance(result, Error):
                    counted["errors"] += 1
                elif isinstance(result, Skipped):
                    counted["skipped"] += 1
        declared = {"tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "skipped": suite.skipped}
        if declared != counted:
            print(f"suite {suite.name}: attributes {declared} but cases {counted}", file=sys.stderr)
            return 1
        for key in totals:
            totals[key] += counted[key]
    print(" ".join(f"{key}={value}" for key, value in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
