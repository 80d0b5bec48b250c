// Placeholder until the GitHub Action is built (see action.yml). Fails loudly on purpose:
// a review step that silently passes would be worse than none.
process.stdout.write("::error::Shipshape's GitHub Action is not released yet. Run the CLI instead: npx shipshape check --base <base-sha> --head <head-sha> --format markdown\n");
process.exitCode = 1;
