# How TeamsOps is installed (`cmake --install`), and the Debian package made of that
# (./scripts/package: `cpack -G DEB`). tests/package installs the package and checks each file.
include(GNUInstallDirs)
set(TEAMSOPS_APP_ID io.github.teamsops.TeamsOps)
set(teamsops_share ${CMAKE_INSTALL_DATADIR})

install(TARGETS teamsops teamsops-cli teamsops-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The menu entry and what software centres show (validated by tests/package).
install(FILES resources/${TEAMSOPS_APP_ID}.desktop DESTINATION ${teamsops_share}/applications)
install(FILES resources/${TEAMSOPS_APP_ID}.metainfo.xml DESTINATION ${teamsops_share}/metainfo)

# The icon in the hicolor theme: the SVG, and PNGs at the theme's fixed sizes for menus that do
# not draw SVG, drawn from it at build time (cmake/rendericon.cpp).
set(teamsops_icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/teamsops.svg)
install(FILES ${teamsops_icon_svg} DESTINATION ${teamsops_share}/icons/hicolor/scalable/apps
        RENAME ${TEAMSOPS_APP_ID}.svg)
add_executable(rendericon cmake/rendericon.cpp)
target_link_libraries(rendericon PRIVATE Qt6::Gui)
set(teamsops_icon_pngs)
foreach(size 16 22 24 32 48 64 128 256)
    set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/${TEAMSOPS_APP_ID}.png)
    add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}x${size}
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
                $<TARGET_FILE:rendericon> ${teamsops_icon_svg} ${size} ${png}
        DEPENDS rendericon ${teamsops_icon_svg} VERBATIM)
    list(APPEND teamsops_icon_pngs ${png})
    install(FILES ${png} DESTINATION ${teamsops_share}/icons/hicolor/${size}x${size}/apps)
endforeach()
add_custom_target(teamsops_icons ALL DEPENDS ${teamsops_icon_pngs})

# Man pages, made by help2man from each program's own --help and --version (so they cannot drift
# from them) plus what --help has no room for (resources/man/*.h2m: environment, files, see also).
# HOME is "~" while they are made so that default paths read "~/.local/share/…", not the
# builder's home.
find_program(HELP2MAN_EXECUTABLE help2man)
function(teamsops_man_page program summary)
    set(include ${PROJECT_SOURCE_DIR}/resources/man/${program}.h2m)
    set(man ${CMAKE_BINARY_DIR}/man/${program}.1)
    add_custom_command(OUTPUT ${man}.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${CMAKE_COMMAND} -E env --unset=XDG_DATA_HOME "HOME=~" QT_QPA_PLATFORM=offscreen
                ${HELP2MAN_EXECUTABLE} --no-info --version-string=${PROJECT_VERSION} --section=1
                --name=${summary} --include=${include} --output=${man} $<TARGET_FILE:${program}>
        COMMAND gzip -9nf ${man}
        DEPENDS ${program} ${include} VERBATIM)
    add_custom_target(${program}_man_page ALL DEPENDS ${man}.gz)
    install(FILES ${man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()
if(HELP2MAN_EXECUTABLE AND NOT TEAMSOPS_SANITIZE)
    teamsops_man_page(teamsops "the Microsoft Teams operations dashboard")
    teamsops_man_page(teamsops-cli "watch and start Microsoft Teams operations from the command line")
    teamsops_man_page(teamsops-sim "a simulated Microsoft Graph tenant for trying TeamsOps")
else()
    message(STATUS "help2man not found (or a sanitized build): no man pages")
endif()

# Tab completion, for teamsops-cli and teamsops alike: bash-completion loads a file by the
# command's name, zsh by the #compdef line of _teamsops.
foreach(program teamsops teamsops-cli)
    install(FILES resources/completions/teamsops.bash
            DESTINATION ${teamsops_share}/bash-completion/completions RENAME ${program})
endforeach()
install(FILES resources/completions/_teamsops DESTINATION ${teamsops_share}/zsh/vendor-completions)

# What Debian asks of every package: its copyright and changelog.
set(teamsops_changelog ${CMAKE_BINARY_DIR}/debian/changelog.gz)
add_custom_command(OUTPUT ${teamsops_changelog}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/debian
    COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/resources/debian/changelog > ${teamsops_changelog}
    DEPENDS ${PROJECT_SOURCE_DIR}/resources/debian/changelog)
add_custom_target(teamsops_changelog ALL DEPENDS ${teamsops_changelog})
install(FILES resources/debian/copyright ${teamsops_changelog}
        DESTINATION ${teamsops_share}/doc/teamsops)

# The package: its dependencies are what dpkg-shlibdeps finds the programs linked to, and the
# plugins Qt and QtKeychain load at run time, which no linker sees.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME teamsops)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "The TeamsOps developers <teamsops@users.noreply.github.com>")
set(CPACK_PACKAGE_VENDOR "The TeamsOps developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "dashboard for long Microsoft Teams operations")
set(CPACK_PACKAGE_DESCRIPTION
    "TeamsOps watches Microsoft Teams clones, archives, unarchives and team\n"
    "creations started through Microsoft Graph until they finish, within Graph's\n"
    "rate limits: a live table of every operation with its status and error, and\n"
    "teamsops-cli, its twin for scripts, sharing the same store. teamsops-sim, a\n"
    "simulated tenant on 127.0.0.1, is included for trying it without an account.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/teamsops/teamsops)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The SQL drivers of the store, Qt's SVG icon engine and image reader (every icon is an SVG), and
# libsecret, which QtKeychain opens to reach the Secret Service.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql, libqt6svg6, libsecret-1-0")
# A keychain to keep the sign-in in, and xdg-open for the browser sign-in.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, xdg-utils")
include(CPack)
