# Run at every build (the dynemo_git_sha target): writes OUT, the C++ source that defines
# dynemo::kGitSha, from `git rev-parse` in SOURCE_DIR: the commit the build was made from, with
# "-dirty" when tracked files differ from it, "unknown" outside a git checkout. OUT is rewritten
# only when the text changes, so a build at the same commit recompiles nothing.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE sha OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR NOT sha)
  set(sha "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND changes)
    string(APPEND sha "-dirty")
  endif()
endif()
string(CONCAT text "// Generated at build time by cmake/git-sha.cmake: do not edit.\n"
                   "#include \"dynemo/version.h\"\n\nnamespace dynemo {\n"
                   "const char* const kGitSha = \"${sha}\";\n}  // namespace dynemo\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
