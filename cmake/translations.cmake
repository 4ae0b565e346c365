# Every user-visible string, as lupdate finds it: build/translations/teamsops.ts, regenerated when
# a source changes. It is what a translator starts from, and what tests/translations checks the
# English plural forms against.
#
# The English plural forms themselves live in resources/translations/teamsops_en.ts (compiled
# into core, see core/CMakeLists.txt). After adding a "%n ...(s)" string, run
#   cmake --build build --target update_translations
# and fill in its two <numerusform>s ("%n poll", "%n polls"); tests/translations fails until then.
set(TEAMSOPS_TS_TEMPLATE ${CMAKE_BINARY_DIR}/translations/teamsops.ts)
set(teamsops_string_dirs ${PROJECT_SOURCE_DIR}/core ${PROJECT_SOURCE_DIR}/ui ${PROJECT_SOURCE_DIR}/app)
file(GLOB_RECURSE teamsops_string_sources CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/core/*.cpp ${PROJECT_SOURCE_DIR}/core/*.h
    ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h
    ${PROJECT_SOURCE_DIR}/app/*.cpp ${PROJECT_SOURCE_DIR}/app/*.h)
add_custom_command(OUTPUT ${TEAMSOPS_TS_TEMPLATE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/translations
    COMMAND ${CMAKE_COMMAND} -E rm -f ${TEAMSOPS_TS_TEMPLATE}
    COMMAND Qt6::lupdate -silent -locations relative ${teamsops_string_dirs}
            -ts ${TEAMSOPS_TS_TEMPLATE}
    DEPENDS ${teamsops_string_sources}
    COMMENT "lupdate: every user-visible string into translations/teamsops.ts"
    VERBATIM)
add_custom_target(teamsops_ts ALL DEPENDS ${TEAMSOPS_TS_TEMPLATE})

add_custom_target(update_translations
    COMMAND Qt6::lupdate -pluralonly -locations none -no-obsolete -target-language en
            ${teamsops_string_dirs} -ts ${PROJECT_SOURCE_DIR}/resources/translations/teamsops_en.ts
    COMMENT "lupdate: the English plural forms in resources/translations/teamsops_en.ts"
    VERBATIM)
