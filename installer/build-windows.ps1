<#
.SYNOPSIS
  Build Vitrine for Windows: dist\vitrine\ (Vitrine.exe windowed + vitrine-cli.exe console) and, when Inno Setup
  is installed, an installer dist\Vitrine-<version>-setup-x64[-cuda].exe.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1            # CPU PyTorch
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -Cuda      # NVIDIA GPUs (CUDA 12.x wheel)
  $env:VITRINE_TORCH = "cuda"; .\installer\build-windows.ps1                      # same as -Cuda

.NOTES
  Needs Python 3.11 (py launcher or python on PATH) and, for the installer, Inno Setup 6 (iscc.exe on PATH or in
  "C:\Program Files (x86)\Inno Setup 6"). The build venv lives in installer\build\venv-<variant> (git-ignored) and
  holds only the run-time dependencies and PyInstaller.
  PyTorch: the Windows wheel on PyPI is CPU-only; -Cuda installs from the PyTorch CUDA index (default cu128; set
  $env:VITRINE_TORCH_INDEX to change it). The app itself picks CUDA when it works and falls back to the CPU with a
  note in the status bar otherwise, so a CUDA build also runs on machines without an NVIDIA GPU (just larger).
#>
param(
    [switch]$Cuda,
    [string]$Python = "",
    [string]$TorchVersion = ""
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$sw = [System.Diagnostics.Stopwatch]::StartNew()

$Variant = if ($Cuda -or $env:VITRINE_TORCH -eq "cuda") { "cuda" } else { "cpu" }
if (-not $TorchVersion) { $TorchVersion = "2.14.1" }  # PyPI's Windows wheel is the CPU build
$TorchIndex = $env:VITRINE_TORCH_INDEX
if (-not $TorchIndex -and $Variant -eq "cuda") { $TorchIndex = "https://download.pytorch.org/whl/cu128" }

if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py -3.11" } else { $Python = "python" }
}
$BuildDir = Join-Path $Root "installer\build"
$Venv = Join-Path $BuildDir "venv-$Variant"
$Py = Join-Path $Venv "Scripts\python.exe"

Write-Host "== Vitrine Windows build: torch $TorchVersion ($Variant)"
New-Item -ItemType Directory -Force -Path $BuildDir | Out-Null
if (-not (Test-Path (Join-Path $Venv ".vitrine-ready"))) {
    if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
    Invoke-Expression "$Python -m venv `"$Venv`""
    & $Py -m pip install -q --upgrade pip
    if ($TorchIndex) { & $Py -m pip install -q "torch==$TorchVersion" --index-url $TorchIndex }
    else { & $Py -m pip install -q "torch==$TorchVersion" }
    if ($LASTEXITCODE) { throw "installing torch failed" }
    $deps = & $Py -c "import re,tomllib; print('\n'.join(d for d in tomllib.load(open('pyproject.toml','rb'))['project']['dependencies'] if re.split(r'[<>=!~ \[;]', d, 1)[0].lower() not in ('torch','torchvision')))"
    & $Py -m pip install -q @($deps -split "`n" | Where-Object { $_ }) "pyinstaller>=6.6"
    if ($LASTEXITCODE) { throw "installing dependencies failed" }
    & $Py -m pip install -q --no-deps $Root
    New-Item -ItemType File -Path (Join-Path $Venv ".vitrine-ready") | Out-Null
}
& $Py -c "import torch, PySide6; print('torch', torch.__version__, 'cuda', torch.version.cuda, '| PySide6', PySide6.__version__)"

$Version = & $Py -c "import sys; sys.path.insert(0, '.'); from app.about import version; print(version())"
if (Test-Path dist\vitrine) { Remove-Item -Recurse -Force dist\vitrine }
$env:VITRINE_TORCH_VARIANT = $Variant
& $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$Root\dist" --workpath "$BuildDir\pyinstaller-$Variant" installer\vitrine.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# Quick check: the console entry paints one picture with the bundled model.
$Smoke = Join-Path $env:TEMP "vitrine-smoke"
if (Test-Path $Smoke) { Remove-Item -Recurse -Force $Smoke }
$env:VITRINE_HOME = Join-Path $Smoke "home"; $env:QT_QPA_PLATFORM = "offscreen"
& dist\vitrine\vitrine-cli.exe generate "red heels" --count 1 --out "$Smoke\out"
if ($LASTEXITCODE -or -not (Get-ChildItem "$Smoke\out\*.png")) { throw "smoke test: no picture painted" }
Remove-Item Env:\VITRINE_HOME; Remove-Item Env:\QT_QPA_PLATFORM

# Licences and data provenance (app/about.py) beside the program, and as the installer's licence page.
& $Py -c "import sys; sys.path.insert(0, '.'); from app.about import about_text; print(about_text())" | Out-File -Encoding utf8 "$BuildDir\NOTICE.txt"
Copy-Item "$BuildDir\NOTICE.txt" dist\vitrine\NOTICE.txt

$Suffix = if ($Variant -eq "cuda") { "-cuda" } else { "" }
$Zip = "dist\vitrine-$Version-windows-x64$Suffix.zip"
if (Test-Path $Zip) { Remove-Item $Zip }
Compress-Archive -Path dist\vitrine -DestinationPath $Zip

$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc -and (Test-Path "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe")) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if ($Iscc) {
    & $Iscc "/DAppVersion=$Version" "/DVariantSuffix=$Suffix" "/DRoot=$Root" installer\windows\vitrine.iss
    if ($LASTEXITCODE) { throw "Inno Setup failed" }
} else {
    Write-Warning "Inno Setup (iscc.exe) not found: only the zip was made. Install Inno Setup 6 for the setup .exe."
}
$size = (Get-ChildItem -Recurse dist\vitrine | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("== done in {0:N0} s; dist\vitrine is {1:N0} MB" -f $sw.Elapsed.TotalSeconds, $size)
