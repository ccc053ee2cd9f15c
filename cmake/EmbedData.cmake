# Compiles the core's classification tables (shared/data/*.tsv) into constant arrays, so the core
# needs no file I/O at run time and the tables stay reviewable text.
#
#   ithaca_embed_tables(TARGET ithaca_core OUTPUT <file.cpp> HEADER <data_tables.hpp> TABLES a.tsv b.tsv ...)
#
# Each table becomes `extern const ithaca::data::Table <basename>` (declared by hand in HEADER).
# TSV format: one row per line, cells separated by tabs; lines starting with '#' and blank lines
# are skipped; a cell holding a single '-' is the empty string. Every row of a file must have the
# same number of cells, or the build stops with the file and line.

set(ITHACA_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedTsv.cmake)

function(ithaca_embed_tables)
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT;HEADER" "TABLES" ${ARGN})
  string(REPLACE ";" "|" tables_arg "${ARG_TABLES}")
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${ARG_OUTPUT}" "-DHEADER=${ARG_HEADER}"
            "-DTABLES=${tables_arg}" -P ${ITHACA_EMBED_SCRIPT}
    DEPENDS ${ARG_TABLES} ${ITHACA_EMBED_SCRIPT}
    COMMENT "Embedding classification tables"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${ARG_OUTPUT})
endfunction()
