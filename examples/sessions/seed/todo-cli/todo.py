#!/usr/bin/env python3
"""todo: a tiny to-do list kept in todo.json in the current folder."""
import argparse
import json
import pathlib

STORE = pathlib.Path("todo.json")


def load():
    return json.loads(STORE.read_text()) if STORE.exists() else []


def save(items):
    STORE.write_text(json.dumps(items, indent=2) + "\n")


def add(args):
    items = load()
    items.append({"text": args.text, "done": False})
    save(items)
    print(f"added #{len(items)}: {args.text}")


def done(args):
    items = load()
    items[args.number - 1]["done"] = True
    save(items)


def list_(args):
    for n, item in enumerate(load(), 1):
        mark = "x" if item["done"] else " "
        line = f"[{mark}] {n}. {item['text']}"
        print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="todo")
    commands = parser.add_subparsers(required=True)
    add_cmd = commands.add_parser("add", help="add an item")
    add_cmd.add_argument("text")
    add_cmd.set_defaults(func=add)
    done_cmd = commands.add_parser("done", help="mark an item done")
    done_cmd.add_argument("number", type=int)
    done_cmd.set_defaults(func=done)
    list_cmd = commands.add_parser("list", help="show all items")
    list_cmd.set_defaults(func=list_)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
