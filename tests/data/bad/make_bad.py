#!/usr/bin/env python3
# Writes the collection of bad data, weights, inputs and scene files (tests/data/bad/) and its
# manifest cases.tsv: file, how it is used (train: a scene's training.data.file; train-trained:
# the same on an already trained 2-input, 2-class scene; predict: --inputs; import: --W/--U;
# solve: the scene itself), and the words the refusal must contain (the row/column or field).
# tst_bad_inputs runs each through `opteq` and wants exit 2, the file's name and those words,
# in under 2 s and 200 MB. Run from this folder: python3 make_bad.py (standard library only).
import gzip, os, struct

cases = []

def put(name, data, kind, expect):
    if isinstance(data, str):
        data = data.encode()
    with open(name, 'wb') as f:
        f.write(data)
    cases.append((name, kind, expect))

def npy(descr, shape, payload=b'', version=1, fortran=False):
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, 'True' if fortran else 'False', shape)
    pre = 10 if version == 1 else 12
    d += ' ' * ((64 - (pre + len(d) + 1) % 64) % 64) + '\n'
    head = b'\x93NUMPY' + bytes([version, 0])
    head += struct.pack('<H' if version == 1 else '<I', len(d))
    return head + d.encode() + payload

def f8(*v):
    return struct.pack('<%dd' % len(v), *v)

# --- training data (CSV) ---------------------------------------------------------------------
put('empty.csv', '', 'train', 'the file is empty')
put('header-only.csv', 'x1,x2,label\n', 'train', 'no data rows')
put('no-label.csv', 'x1,x2\n1,2\n3,4\n', 'train', 'needs a label column')
put('bad-number.csv', 'x1,x2,label\n1,2,0\n1,abc,1\n', 'train', 'row 2 (line 3), column "x2": abc is not a number')
put('short-row.csv', 'x1,x2,label\n1,2,0\n1,2\n', 'train', 'row 2 (line 3) has 2 values')
put('long-row.csv', 'x1,x2,label\n1,2,0,7\n', 'train', 'row 1 (line 2) has 4 values')
put('nan.csv', 'x1,x2,label\n1,2,0\n1,nan,1\n', 'train', 'row 2 (line 3), column "x2": nan is not a finite number')
put('inf.csv', 'x1,x2,label\n1,2,0\n-inf,1,1\n', 'train', 'column "x1": -inf is not a finite number')
put('label-fraction.csv', 'x1,x2,label\n1,2,0\n1,2,0.5\n', 'train', 'column "label": 0.5 is not a whole class number')
put('label-negative.csv', 'x1,x2,label\n1,2,0\n1,2,-1\n', 'train', 'column "label": -1 is not a class number')
put('label-too-big.csv', 'x1,x2,label\n1,2,0\n1,2,40\n', 'train', 'column "label": 40 is above the largest class')
put('label-gap.csv', 'x1,x2,label\n1,2,0\n3,4,5\n5,6,0\n', 'train', 'classes 1, 2, 3, 4 have no rows')
put('label-gap-one.csv', 'x1,x2,label\n1,2,0\n3,4,2\n', 'train', 'class 1 has no rows')
put('one-class.csv', 'x1,x2,label\n1,2,0\n3,4,0\n', 'train', 'every row is class 0')
put('label-and-targets.csv', 'x1,x2,label,y1\n1,2,0,1\n', 'train', 'has both label and y1')
put('unknown-column.csv', 'x1,foo,label\n1,2,0\n', 'train', 'column 2 "foo" is not x<i>, y<i> or label')
put('x0-column.csv', 'x0,x1,label\n1,2,0\n', 'train', 'column 1 "x0" is not x<i>')
put('missing-x1.csv', 'x2,label\n1,0\n2,1\n', 'train', 'has x2 but no x1')
put('duplicate-column.csv', 'x1,x1,label\n1,2,0\n', 'train', 'column "x1" appears twice')
put('no-inputs.csv', 'label\n0\n1\n', 'train', 'no input columns')
put('huge-index.csv', 'x99999,label\n1,0\n', 'train', 'beyond the limit of 4096 columns')
put('label-text.csv', 'x1,x2,label\n1,2,0\n1,2,cat\n', 'train', 'column "label": cat is not a number')
put('empty-cell.csv', 'x1,x2,label\n1,,0\n', 'train', 'row 1 (line 2), column "x2"')
put('binary.csv', b'x1,x2,label\n1,2,0\n\x00\x00\x00\x01', 'train', 'NUL byte at offset 18')
put('targets-with-cross-entropy.csv', 'x1,x2,y1,y2\n1,2,0.5,0.1\n3,4,0.2,0.3\n', 'train', 'training.loss: cross_entropy needs class labels')
put('utf16.csv', 'x1,x2,label\n1,2,0\n'.encode('utf-16'), 'train', 'NUL byte')
put('width-vs-trained.csv', 'x1,label\n1,0\n2,1\n', 'train-trained', 'the data has 1 input column (x1) but the trained network\'s U takes 2')
put('classes-vs-trained.csv', 'x1,x2,label\n1,2,0\n3,4,1\n5,6,2\n', 'train-trained', 'the data has 3 classes but the trained readout has 2 outputs')
put('width3-vs-trained.csv', 'x1,x2,x3,label\n1,2,3,0\n3,4,5,1\n', 'train-trained', 'U takes 2 (x1..x2)')
os.makedirs('directory.csv', exist_ok=True)
with open('directory.csv/README', 'w') as f:
    f.write('A directory named like a data file: refused as "is a directory".\n')
cases.append(('directory.csv', 'train', 'is a directory, not a data file'))

# --- inputs for predict (.npy and CSV), the scene takes d = 2 --------------------------------
put('text.npy', 'x1,x2\n1,2\n', 'predict', 'not a .npy file')
put('truncated-header.npy', npy('<f8', '(2, 2)')[:30], 'predict', 'truncated .npy header')
put('zero-rows-huge-cols.npy', npy('<f8', '(0, 99999999999)'), 'predict', 'shape (0, 99999999999) is too large')
put('declares-80-gb.npy', npy('<f8', '(100000, 100000)', f8(1, 2)), 'predict', 'declares 80000000000 bytes of data, beyond the 1 GiB limit')
put('truncated-data.npy', npy('<f8', '(4, 2)', f8(1, 2, 3, 4)), 'predict', 'truncated data: shape (4, 2) needs 64 bytes, file has 32')
put('three-d.npy', npy('<f8', '(2, 2, 2)', f8(*range(8))), 'predict', 'expected a 1-D or 2-D array, got shape (2, 2, 2)')
put('complex.npy', npy('<c16', '(1, 2)', b'\0' * 32), 'predict', 'unsupported dtype <c16')
put('version9.npy', b'\x93NUMPY\x09\x00' + b'\0' * 64, 'predict', 'unsupported .npy version 9')
put('wide.npy', npy('<f8', '(1, 5)', f8(1, 2, 3, 4, 5)), 'predict', "5 input columns, but the scene's U takes d = 2")
put('nan-input.npy', npy('<f8', '(2, 2)', f8(1, 2, 3, float('nan'))), 'predict', 'row 2, column 2 is not a finite number')
put('no-rows.npy', npy('<f8', '(0, 2)'), 'predict', 'no input rows')
put('wide.csv', 'x1,x2,x3\n1,2,3\n', 'predict', "3 input columns, but the scene's U takes d = 2")
put('bad-number-input.csv', 'x1,x2\n1,2\n3,four\n', 'predict', 'row 2 (line 3), column "x2": four is not a number')
put('inf-input.csv', 'x1,x2\ninf,2\n', 'predict', 'row 1, x1 is not a finite number')

# --- weights for import -------------------------------------------------------------------------
put('W-nan.npy', npy('<f8', '(2, 2)', f8(0.1, float('nan'), 0, 0.2)), 'import', 'W[1, 2] is nan')
put('W-empty.npy', npy('<f8', '(0, 0)'), 'import', 'W is empty')
put('W-words.csv', 'a,b\n1,2\n', 'import', 'row 1 (line 1), column 1: a is not a number')
put('W-ragged.csv', '0.1,0.2\n0.3\n', 'import', 'row 2 (line 2) has 1 values, row 1 has 2')
put('U-rows.npy', npy('<f8', '(3, 2)', f8(*range(6))), 'import-U', 'U is 3 × 2, expected n × d = 2 × 2')

# --- IDX image data (training.data.idx): the bad file as the images beside good labels, or ----
# --- as the labels beside good images (4 items of 2 × 2; idx-good-* are not cases) ---------------
def idx_images(n, rows=2, cols=2, declared=None):
    head = b'\0\0\x08\x03' + struct.pack('>III', n if declared is None else declared, rows, cols)
    return head + bytes((i * 37 + k * 11) % 256 for i in range(n) for k in range(rows * cols))

def idx_labels(values, declared=None):
    return b'\0\0\x08\x01' + struct.pack('>I', len(values) if declared is None else declared) + bytes(values)

def gz(data):
    return gzip.compress(data, mtime=0)

with open('idx-good-images', 'wb') as f:
    f.write(idx_images(4))
with open('idx-good-labels', 'wb') as f:
    f.write(idx_labels([0, 1, 0, 1]))
crc = bytearray(gz(idx_images(4)))
crc[-8] ^= 0x55
put('idx-png.idx', b'\x89PNG\r\n\x1a\n' + b'\0' * 24, 'idx-images', 'not an IDX file (starts 89504e47)')
put('idx-labels-as-images.idx', idx_labels([0, 1, 0, 1]), 'idx-images', 'holds labels (1 dimension, magic 00000801) where an IDX image file')
put('idx-images-as-labels.idx', idx_images(4), 'idx-labels', 'holds images (3 dimensions, magic 00000803) where an IDX label file')
put('idx-truncated.idx', idx_images(4)[:-1], 'idx-images', 'truncated: the header declares 4 items of 4 bytes, the file holds 3 and part of one more')
put('idx-truncated.idx.gz', gz(idx_images(4))[:20], 'idx-images', 'the gzip stream ends early')
put('idx-bad-crc.idx.gz', bytes(crc), 'idx-images', 'is not a valid gzip stream')
put('idx-trailing.idx', idx_images(4) + b'xx', 'idx-images', 'has bytes after its 4 declared items')
put('idx-2-31-labels.idx', idx_labels(list(b'abcdefghijkl'), 1 << 31), 'idx-labels', 'declares 2147483648 items of 1 bytes')
put('idx-count-mismatch.idx', idx_images(3), 'idx-images', 'holds 3 images but')
put('idx-label-40.idx', idx_labels([0, 40, 1, 0]), 'idx-labels', 'label 2 is 40: labels must be whole class numbers 0..31')

# --- scenes ------------------------------------------------------------------------------------
put('not-json.opteq.json', '{"format": "opteq-scene", ', 'solve', 'not valid JSON')
put('nul.opteq.json', b'{"format"\x00: 1}', 'solve', 'NUL byte at offset 9')

with open('cases.tsv', 'w') as f:
    f.write('# file\tuse\tthe refusal contains (generated by make_bad.py)\n')
    for c in cases:
        f.write('\t'.join(c) + '\n')
print(len(cases), 'cases')
