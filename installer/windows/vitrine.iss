; Inno Setup 6 script for Vitrine. installer\build-windows.ps1 runs it after PyInstaller:
;   iscc /DAppVersion=0.1.0 /DVariantSuffix= /DRoot=C:\path\to\repo installer\windows\vitrine.iss
; Per-user install by default (no admin needed); the user can choose an all-users install in the dialog.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef VariantSuffix
  #define VariantSuffix ""
#endif
#ifndef Root
  #define Root "..\.."
#endif

[Setup]
AppId={{6D2B8C59-3F0B-4C7E-9B3A-5A1F0C2E7D41}
AppName=Vitrine
AppVersion={#AppVersion}
AppVerName=Vitrine {#AppVersion}
AppPublisher=Vitrine
DefaultDirName={autopf}\Vitrine
DefaultGroupName=Vitrine
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=Vitrine-{#AppVersion}-setup-x64{#VariantSuffix}
SetupIconFile={#Root}\resources\icons\app-vitrine.ico
UninstallDisplayIcon={app}\Vitrine.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; NOTICE.txt (licences, LGPL notice for Qt, data provenance) is written by build-windows.ps1 from app/about.py
InfoBeforeFile={#Root}\installer\build\NOTICE.txt

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\vitrine\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Vitrine"; Filename: "{app}\Vitrine.exe"
Name: "{autodesktop}\Vitrine"; Filename: "{app}\Vitrine.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Vitrine.exe"; Description: "{cm:LaunchProgram,Vitrine}"; Flags: nowait postinstall skipifsilent

; The gallery, settings and the shop's own models live in %LOCALAPPDATA%\Vitrine and are kept on uninstall.
