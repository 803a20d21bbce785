#!/usr/bin/env python3
"""Independent reading for the PHI corpus test: with pydicom, list every
PS3.15 Table E.1-1 attribute present with a non-empty value, at any depth, in
each file given on the command line (standard attributes only: private
elements are checked by another rule).

Output, one line per attribute: <file>\t<DCMTK path>
Reads the profile from src/tables/data/confidentiality_profile.json.
"""
import json
import pathlib
import sys

import pydicom

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROFILE = json.loads((ROOT / "src/tables/data/confidentiality_profile.json").read_text())


def pattern(tag):
    if "odd" in tag:
        return None
    g, e = tag.strip("()").split(",")
    hexes = (g + e).lower()
    value = int(hexes.replace("x", "0"), 16)
    mask = int("".join("0" if c == "x" else "f" for c in hexes), 16)
    return value, mask


PATTERNS = [p for p in (pattern(r["tag"]) for r in PROFILE) if p]


def in_profile(tag):
    group = tag >> 16
    if group & 1:
        return False
    for value, mask in PATTERNS:
        if mask != 0xFFFFFFFF:
            # Repeating groups are the even groups 50xx/60xx up to 1E only.
            if (group & 0xFF) > 0x1E:
                continue
        if tag & mask == value:
            return True
    return False


def non_empty(elem):
    if elem.VR == "SQ":
        return len(elem.value) > 0
    v = elem.value
    if v is None:
        return False
    if isinstance(v, (bytes, bytearray)):
        return len(v) > 0
    if isinstance(v, str):
        return v.strip(" \0") != ""
    if isinstance(v, (list, tuple, pydicom.multival.MultiValue)):
        return any(str(x).strip(" \0") for x in v)
    return str(v).strip(" \0") != ""


def walk(ds, prefix, out):
    for elem in ds:
        tag = f"({elem.tag.group:04X},{elem.tag.element:04X})"
        path = f"{prefix}.{tag}" if prefix else tag
        if in_profile(int(elem.tag)) and non_empty(elem) and int(elem.tag) != 0x7FE00010:
            out.append(path)
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                walk(item, f"{path}[{i}]", out)


def main():
    for name in sys.argv[1:]:
        try:
            ds = pydicom.dcmread(name, force=True)
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"{name}\tERROR {exc}")
            continue
        out = []
        try:
            if getattr(ds, "file_meta", None) is not None:
                walk(ds.file_meta, "", out)
            walk(ds, "", out)
        except Exception as exc:  # noqa: BLE001
            print(f"{name}\tERROR {exc}")
            continue
        for path in out:
            print(f"{name}\t{path}")


if __name__ == "__main__":
    main()
