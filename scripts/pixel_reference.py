#!/usr/bin/env python3
"""Independent decoding for the pixel test: for each file given, pydicom's
stored values of frame 0 (greyscale only), summarised exactly enough to
compare: count, sum, sum weighted by (index % 7 + 1), and 64 sampled values.

Output, one line per file: <file>\t<count>\t<sum>\t<weighted>\t<v0,v1,...>
or <file>\tSKIP <reason> when pydicom cannot decode it without plugins.
"""
import sys

import numpy as np
import pydicom

for name in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(name, force=True)
        if int(ds.get("SamplesPerPixel", 1)) != 1 or ds.get("PhotometricInterpretation", "") == "PALETTE COLOR":
            print(f"{name}\tSKIP colour")
            continue
        arr = ds.pixel_array
        if int(ds.get("NumberOfFrames", 1) or 1) > 1:
            arr = arr[0]
        a = np.asarray(arr, dtype=np.int64).ravel()
        w = (np.arange(a.size) % 7) + 1
        picks = [int(a[i * a.size // 64]) for i in range(64)] if a.size else []
        print(f"{name}\t{a.size}\t{int(a.sum())}\t{int((a * w).sum())}\t{','.join(map(str, picks))}")
    except Exception as exc:  # noqa: BLE001 - report and go on
        print(f"{name}\tSKIP {type(exc).__name__}: {str(exc)[:80]}")
