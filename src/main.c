/*
 * main: the process entry point; everything else is in cli.c.
 */
#include "blendcat/cli.h"

#include <stdlib.h>

int main(int argc, char **argv)
{
	exit(cli_run(argc, argv));
}
