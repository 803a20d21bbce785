#!/usr/bin/env python3
"""The pydicom peer of scripts/bench: read every file in a folder and every
value as text (pixel data excepted), as a person auditing with pydicom would."""
import os
import sys

import pydicom

folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    ds = pydicom.dcmread(os.path.join(folder, name))
    for element in ds.iterall():
        if element.tag != 0x7FE00010:
            str(element.value)
