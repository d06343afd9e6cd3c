"""The command line: parse, call, print, exit. No logic lives here.

Every command calls one function of the kit's API and turns a ``KitError`` into its
Dutch message on stderr and its exit code (DESIGN.md). An unexpected exception is a
bug: it is reported in one line, never as a traceback (set KIT_DEBUG=1 to see it).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from kit import __version__
from kit.berichten import bericht
from kit.errors import KitError



class _Datum(click.ParamType):
    """A date written as JJJJ-MM-DD; a wrong value gets a Dutch message (exit 2)."""

    name = "datum"

    def get_metavar(self, param, ctx=None) -> str:  # noqa: ARG002 - click's signature
        return "JJJJ-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
        except ValueError:
            self.fail(bericht("algemeen.datum_ongeldig", waarde=value), param, ctx)


class _Keuze(click.ParamType):
    """One of a few fixed words; a wrong value names the allowed ones in Dutch (exit 2)."""

    name = "keuze"

    def __init__(self, *opties: str):
        self.opties = opties

    def get_metavar(self, param, ctx=None) -> str:  # noqa: ARG002 - click's signature
        return "[" + "|".join(self.opties) + "]"

    def convert(self, value, param, ctx):
        if value in self.opties:
            return value
        self.fail(bericht("algemeen.keuze_ongeldig", waarde=value, opties=", ".join(self.opties)), param, ctx)


DATUM = _Datum()
FORMAAT = _Keuze("text", "json")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kit")
def cli() -> None:
    """inburgeringskit: beleidsdocumenten Wet inburgering 2021 uit één keuzebestand."""


@cli.command()
@click.argument("naam")
@click.option("--regio", type=click.Path(path_type=Path), help="Regiobestand dat het nieuwe bestand erft (extends).")
@click.option("-o", "--output", "uitvoer", type=click.Path(path_type=Path), help="Pad van het nieuwe keuzebestand.")
def init(naam: str, regio: Path | None, uitvoer: Path | None) -> None:
    """Schrijf een nieuw, becommentarieerd keuzebestand voor gemeente NAAM."""
    from kit.init import maak_keuzebestand

    pad = maak_keuzebestand(naam, regio=regio, uitvoer=uitvoer)
    click.echo(bericht("init.geschreven", pad=pad))


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--datum", type=DATUM, help="Toets aan de minima op deze datum (standaard: verordening.inwerkingtreding).")
@click.option("--format", "formaat", type=FORMAAT, default="text", show_default=True)
def validate(bestanden: tuple[Path, ...], datum, formaat: str) -> None:
    """Controleer keuzebestanden aan het schema en de wettelijke minima."""
    from kit.validate import valideer_bestanden

    uitvoer, code = valideer_bestanden(list(bestanden), datum=datum, formaat=formaat)
    if uitvoer:
        click.echo(uitvoer)
    sys.exit(code)


@cli.command()
@click.argument("bestanden", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "uitvoer", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--only", "alleen", help="Alleen deze documenten, komma-gescheiden (bv. verordening,beleidsregels).")
@click.option("--pdf/--no-pdf", "pdf", default=None, help="PDF maken met LibreOffice (standaard: als LibreOffice er is).")
@click.option("--force", is_flag=True, help="Ook bestanden overschrijven die na het renderen zijn gewijzigd.")
def render(bestanden: tuple[Path, ...], uitvoer: Path, alleen: str | None, pdf: bool | None, force: bool) -> None:
    """Maak de vijf documenten per keuzebestand (standaard choices/voorbeeld.yaml)."""
    from kit.render import render_cli

    sys.exit(render_cli(list(bestanden), uitvoer=uitvoer, alleen=alleen, pdf=pdf, force=force, echo=click.echo))


@cli.command()
@click.argument("oud")
@click.argument("nieuw")
@click.option("-o", "--output", "uitvoer", type=click.Path(path_type=Path), default=Path("build/diff"), show_default=True)
@click.option("--force", is_flag=True, help="Ook bestanden overschrijven die na het maken van het pakket zijn gewijzigd.")
@click.option("--pdf/--no-pdf", "pdf", default=False, show_default=True, help="Ook PDF's maken (één LibreOffice-aanroep voor het hele pakket).")
@click.option("--andere-gemeente", is_flag=True, help="Versies van twee verschillende gemeenten bewust vergelijken (dan geen wijzigingsverordening).")
def diff(oud: str, nieuw: str, uitvoer: Path, force: bool, pdf: bool, andere_gemeente: bool) -> None:
    """Versiepakket voor de griffie: wijzigingen, redline, drieluik, wijzigingsverordening."""
    from kit.diff import diff_cli

    sys.exit(diff_cli(oud, nieuw, uitvoer=uitvoer, echo=click.echo, force=force, pdf=pdf, andere_gemeente=andere_gemeente))


@cli.command()
@click.argument("bestanden", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "uitvoer", type=click.Path(path_type=Path), default=Path("reactienota.docx"), show_default=True)
def comments(bestanden: tuple[Path, ...], uitvoer: Path) -> None:
    """Verzamel Word-opmerkingen in een reactienota (.docx en .csv)."""
    from kit.comments import comments_cli

    sys.exit(comments_cli(list(bestanden), uitvoer=uitvoer, echo=click.echo))


@cli.command()
@click.option("--datum", type=DATUM, help="Peildatum (standaard: vandaag is niet reproduceerbaar, dus: de nieuwste waarden).")
@click.option("--format", "formaat", type=FORMAAT, default="text", show_default=True)
def minima(datum, formaat: str) -> None:
    """Toon de wettelijke minima en vaste bedragen die op een datum gelden, met bron."""
    from kit.minima import toon_minima

    click.echo(toon_minima(datum, formaat=formaat))


@cli.command()
@click.argument("bronnen", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "uitvoer", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--jobs", type=int, default=None, help="Aantal processen (standaard: het aantal cores).")
@click.option("--pdf/--no-pdf", "pdf", default=False, show_default=True)
@click.option("--force", is_flag=True)
def batch(bronnen: tuple[Path, ...], uitvoer: Path, jobs: int | None, pdf: bool, force: bool) -> None:
    """Render veel gemeenten tegelijk (een regio, of alle)."""
    from kit.batch import batch_cli

    sys.exit(batch_cli(list(bronnen), uitvoer=uitvoer, jobs=jobs, pdf=pdf, force=force, echo=click.echo))


def main() -> None:
    try:
        cli.main(standalone_mode=False, prog_name="kit")
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:  # usage errors: exit 2, in Dutch
        click.echo(_gebruiksfout(e), err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(1)
    except KitError as e:
        click.echo(str(e), err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug: one line, no traceback
        if os.environ.get("KIT_DEBUG"):
            raise
        click.echo(bericht("algemeen.onverwachte_fout", soort=f"{type(e).__name__}: {e}"), err=True)
        sys.exit(2)


def _gebruiksfout(e: click.ClickException) -> str:
    """Click's usage error as a Dutch message: what is wrong, and where to read how it goes."""
    ctx = getattr(e, "ctx", None)
    commando = ctx.command_path if ctx is not None and ctx.command_path else "kit"
    if isinstance(e, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        return e.format_message()  # `kit` alone: the overview of the commands
    if isinstance(e, click.MissingParameter):
        param = e.param
        naam = _param_naam(param, ctx) if param is not None else (e.param_hint or "")
        soort = "argument" if isinstance(param, click.Argument) or e.param_type == "argument" else "optie"
        tekst = bericht(f"algemeen.ontbreekt_{soort}", naam=naam)
    elif isinstance(e, click.NoSuchOption):
        if e.possibilities:
            tekst = bericht("algemeen.onbekende_optie_voorstel", optie=e.option_name, voorstel=e.possibilities[0])
        else:
            tekst = bericht("algemeen.onbekende_optie", optie=e.option_name)
    elif isinstance(e, click.exceptions.NoSuchCommand):
        opdrachten = ", ".join(sorted(cli.commands))
        if e.possibilities:
            tekst = bericht("algemeen.onbekende_opdracht_voorstel", opdracht=e.command_name, voorstel=e.possibilities[0],
                            opdrachten=opdrachten)
        else:
            tekst = bericht("algemeen.onbekende_opdracht", opdracht=e.command_name, opdrachten=opdrachten)
    elif isinstance(e, click.BadOptionUsage) and "requires an argument" in e.message:
        tekst = bericht("algemeen.optie_zonder_waarde", optie=e.option_name)
    elif isinstance(e, click.BadParameter):
        naam = e.param_hint if isinstance(e.param_hint, str) else _param_naam(e.param, ctx) if e.param is not None else ""
        tekst = bericht("algemeen.ongeldige_waarde", naam=naam, melding=e.message)
    elif isinstance(e, click.UsageError) and e.message.startswith("Got unexpected extra argument"):
        extra = e.message[e.message.find("(") + 1: e.message.rfind(")")]
        tekst = bericht("algemeen.te_veel_argumenten", extra=extra)
    elif isinstance(e, click.UsageError):
        tekst = bericht("algemeen.gebruiksfout", melding=e.format_message())
    else:
        tekst = e.format_message()
    return bericht("algemeen.gebruik", commando=commando, tekst=tekst)


def _param_naam(param: click.Parameter, ctx: click.Context | None) -> str:
    """``BESTANDEN`` for an argument, ``--datum`` for an option."""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    namen = [n for n in getattr(param, "opts", []) if n.startswith("--")] or list(getattr(param, "opts", []))
    return namen[0] if namen else param.human_readable_name
