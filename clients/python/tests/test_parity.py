"""The shared resolution cases give, in Python, exactly the value and origin the table expects."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from parity import load, run_case
from waterfall_config import _json

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "parity", "cases.json")


class ParityTest(unittest.TestCase):

    def test_every_case_resolves_as_the_table_says(self):
        cases = load(CASES)
        self.assertGreaterEqual(len(cases), 20)
        for case in cases:
            with self.subTest(case["name"]), tempfile.TemporaryDirectory() as folder:
                folder = os.path.realpath(folder)
                result = run_case(case, folder)
                expect = case["expect"]
                if expect is None:
                    self.assertIsNone(result)
                    continue
                self.assertIsNotNone(result)
                self.assertEqual(_json.dumps(expect["value"]), _json.dumps(result["value"]))
                self.assertEqual(type(expect["value"]).__name__ == "str", isinstance(result["value"], str))
                self.assertEqual((expect["layer"], expect["source"], expect["line"]),
                                 (result["layer"], result["source"], result["line"]))


if __name__ == "__main__":
    unittest.main()
