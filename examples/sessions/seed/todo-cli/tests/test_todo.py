import contextlib
import io
import os
import tempfile
import unittest

import todo


class TodoTest(unittest.TestCase):
    def setUp(self):
        self.previous = os.getcwd()
        self.folder = tempfile.TemporaryDirectory()
        os.chdir(self.folder.name)

    def tearDown(self):
        os.chdir(self.previous)
        self.folder.cleanup()

    def run_todo(self, *argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            todo.main(list(argv))
        return out.getvalue()

    def test_add_then_list(self):
        self.run_todo("add", "Buy milk")
        self.assertEqual(self.run_todo("list"), "[ ] 1. Buy milk\n")

    def test_done_marks_the_item(self):
        self.run_todo("add", "Buy milk")
        self.run_todo("done", "1")
        self.assertEqual(self.run_todo("list"), "[x] 1. Buy milk\n")
