/*
 * version: blendcat's version, as --version prints it and ingest.run
 * records it.
 */
#ifndef BLENDCAT_VERSION_H
#define BLENDCAT_VERSION_H

#define BLENDCAT_VERSION "0.1.0"

#endif
