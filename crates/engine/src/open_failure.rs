//! Why a workspace could not be opened, in words for the person at the laptop: what is
//! wrong with which file, and what they can do, with SQLite's own words in brackets.

use switchboard_store::FileProblem;

use crate::StartError;

/// "the database file is damaged (file is not a database) …" for `error`.
pub(crate) fn describe(error: &StartError) -> String {
    match error {
        StartError::DataDir { path, source } => {
            format!("its folder {path} cannot be created or read ({source})")
        }
        StartError::Store(store) => match store.file_problem() {
            Some(FileProblem::Damaged) => format!(
                "the database file is damaged ({store}). It was left as it is; restore it \
                 from a backup or remove the workspace."
            ),
            Some(FileProblem::InUse) => format!(
                "the database file is in use by another program ({store}). Close the other \
                 program and open the workspace again."
            ),
            Some(FileProblem::Unreadable) => format!(
                "the database file cannot be read or written ({store}). Check the file's \
                 permissions and the free disk space."
            ),
            None => format!("its database could not be opened ({store})."),
        },
        StartError::Team(why) => format!(
            "its link to the team could not be read ({why}). Join the team again with the \
             join code your administrator gave you."
        ),
    }
}
