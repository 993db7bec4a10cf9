#include "cmds/cli.h"

int main(int argc, char** argv) { return diary::cmds::run_cli(argc, argv); }
