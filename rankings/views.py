from urllib.parse import urlencode

from django.shortcuts import render

from .selectors import leaderboard_page


def leaderboard(request):
    """Show one page of a game's leaderboard, optionally for one region."""
    board = leaderboard_page(
        user=request.user,
        game_slug=request.GET.get("game", "").strip(),
        region_slug=request.GET.get("region", "").strip(),
        page=request.GET.get("page"),
    )
    filters = {"game": board.game.slug}
    if board.region is not None:
        filters["region"] = board.region.slug
    return render(
        request,
        "rankings/leaderboard.html",
        {
            "board": board,
            "page_query": urlencode(filters) + "&page=",
            "game_query": urlencode({"game": board.game.slug}),
        },
    )
