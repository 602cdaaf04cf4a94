"""Tests of effquiz.core.

This file makes the folder a package, so that pytest imports these modules as
``core.test_quant`` and so on, and a test module with the same file name in another
test folder does not clash with them.
"""
